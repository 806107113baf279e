/**
 * Reranking backends: the SPI that scores documents for a query, and the query a rerank job carries.
 *
 * <p>Three backends implement it in the platform: similarity of embeddings over the embedding backend (the default,
 * offline), llama.cpp with GGUF reranker models, and ONNX Runtime with cross-encoder models.
 */
@Export
@Version("1.0.0")
package dev.steadytext.api.rerank;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
