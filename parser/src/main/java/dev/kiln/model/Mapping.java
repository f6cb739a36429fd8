// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/** A pprof mapping: a binary or library mapped at [start, limit) with its file offset, name and build id. */
public record Mapping(long start, long limit, long fileOffset, String file, String buildId) {
}
