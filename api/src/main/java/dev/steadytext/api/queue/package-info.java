/** The job queue between SQL callers and workers, and worker registration. */
@Export
@Version("1.1.0")
package dev.steadytext.api.queue;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
