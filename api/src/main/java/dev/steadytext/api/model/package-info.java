/** Descriptions of the models a worker serves, and their fingerprints. */
@Export
@Version("1.1.0")
package dev.steadytext.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
