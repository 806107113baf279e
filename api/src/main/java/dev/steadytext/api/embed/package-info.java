/** Embedding backends: the SPI that an embedding model implements. */
@Export
@Version("1.0.0")
package dev.steadytext.api.embed;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
