/**
 * The machinery of model downloads: resumable HTTP transfer with Range requests, the server's checksum metadata, and
 * the lock that keeps two processes from writing one file. Not exported.
 */
package dev.steadytext.models.internal;
