/** The job queue between SQL callers and workers, the live output of streaming jobs, and worker registration. */
@Export
@Version("1.2.0")
package dev.steadytext.api.queue;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
