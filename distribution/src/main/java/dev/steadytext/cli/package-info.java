/** The {@code steadytext} command line: {@code run} starts the platform; the other commands are SQL clients. */
package dev.steadytext.cli;
