/** Text generation backends: the SPI that a generation model implements. */
@Export
@Version("1.0.0")
package dev.steadytext.api.generate;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
