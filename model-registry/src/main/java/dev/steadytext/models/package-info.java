/**
 * The model registry: named models for generation, embedding and reranking in sizes mini, small and large
 * ({@link dev.steadytext.models.ModelRegistry}), their resolution from the SQL arguments {@code model},
 * {@code model_repo}, {@code model_filename} and {@code size} ({@link dev.steadytext.models.ModelRequest}), the
 * settings that add models and allow or forbid downloads ({@link dev.steadytext.models.ModelSettings}), and the
 * model cache with its verified, resumable downloads ({@link dev.steadytext.models.ModelCache}).
 */
@Export
@Version("1.0.0")
package dev.steadytext.models;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
