/** Text generation backends: the SPI that a generation model implements, and the constraints on its output. */
@Export
@Version("1.2.0")
package dev.steadytext.api.generate;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
