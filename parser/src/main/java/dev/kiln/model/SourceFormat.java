// SPDX-License-Identifier: Apache-2.0
package dev.kiln.model;

/** The kind of file a profile was read from, detected from its content. */
public enum SourceFormat {
    JFR("JFR recording"),
    PPROF("pprof protobuf"),
    GO_TEXT("Go text profile"),
    GO_TRACE("Go execution trace"),
    PPROF_LEGACY("legacy pprof (gperftools binary)"),
    COLLAPSED("collapsed stacks"),
    SPEEDSCOPE("speedscope JSON");

    private final String label;

    SourceFormat(String label) { this.label = label; }

    public String label() { return label; }
}
