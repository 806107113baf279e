/**
 * Helpers shared by the model backends: file hashing ({@link dev.steadytext.backend.support.Sha256}), the CPU
 * instruction-set class that belongs in a model fingerprint ({@link dev.steadytext.backend.support.InstructionSet}),
 * and loading a model off the activation thread with a deactivation that waits for it
 * ({@link dev.steadytext.backend.support.BackgroundLoad}).
 *
 * <p>Not a bundle and never exported: each backend bundle embeds a private copy of this package (bnd
 * {@code -conditionalpackage}), so backends share the source without sharing a package at run time.
 */
package dev.steadytext.backend.support;
