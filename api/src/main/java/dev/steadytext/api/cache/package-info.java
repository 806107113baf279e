/** The cache: canonical cache keys (computed identically in SQL) and the cache store service. */
@Export
@Version("1.1.0")
package dev.steadytext.api.cache;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
