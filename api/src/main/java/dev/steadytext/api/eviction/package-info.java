/**
 * Cache eviction: the SPI an eviction policy implements, and the values it exchanges with the platform.
 *
 * <p>A policy is a DS service ({@link EvictionPolicy}) that makes one {@link EvictionTracker} per cache kind. The
 * platform feeds each tracker the stream of accesses to its kind, asks it for victims when the kind is over budget,
 * and saves its snapshot in PostgreSQL so that a restart does not forget what it learned.
 */
@Export
@Version("1.0.0")
package dev.steadytext.api.eviction;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
