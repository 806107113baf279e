/** The on-demand model loader: the worker's half of 095-models.sql. Not exported. */
package dev.steadytext.models.loader.internal;
