// SPDX-License-Identifier: Apache-2.0
package dev.kiln.jfr;

import dev.kiln.jfr.JfrMetadata.Field;
import dev.kiln.jfr.JfrMetadata.Type;
import dev.kiln.model.EventKind;
import dev.kiln.model.LongIntMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the streaming reader decodes the event types it reads ({@link #reads}): per type a {@link Plan}, made by
 * {@link #plan} from the type's metadata, says which slot each field is read into, up to the last field needed, and
 * how each is read in the chunk's integer encoding; its {@link Columns} hold the decoded rows, and its {@link Handler}
 * which slots a row keeps. A plan depends on its type's declaration alone; a chunk's worker makes its own plans
 * ({@link Chunk#decodeEvents}) and no other thread uses them.
 */
final class EventPlan {
    private EventPlan() { }

    /** Whether Kiln reads events of this type (given the caller's choice of types, null for all). */
    static boolean reads(String type, Set<String> only) {
        boolean setting = type.equals("jdk.ActiveSetting") || type.equals("jdk.JVMInformation");
        if (only != null && !only.contains(type) && !setting) return false;
        return setting || EventKind.ofJfrType(type) != null || switch (type) {
            case "jdk.ExecutionSample", "jdk.NativeMethodSample", "jdk.CPUTimeSample", "jdk.ObjectAllocationSample",
                 "jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB" -> true;
            default -> false;
        };
    }

    /** What an event type is read into. */
    enum Handler {
        SAMPLE(new int[] {S_THREAD, S_STACK}),
        ALLOCATION(new int[] {S_THREAD, S_STACK, S_CLASS}, S_VALUE),
        EVENT(new int[] {S_KIND, S_THREAD, S_STACK, S_CLASS, S_OTHER, S_DETAIL}, S_DURATION, S_ADDRESS, S_EXTRA, S_VALUE),
        JVM_INFO(new int[] {S_DETAIL}, S_VALUE, S_EXTRA),
        SETTING(new int[] {S_DETAIL, S_EXTRA}, S_VALUE);

        /**
         * The slots an event's row holds (see {@link Plan#columns}): numbers in the chunk and texts as ints, then
         * the start and these as longs.
         */
        final int[] intSlots, longSlots;

        Handler(int[] intSlots, int... longSlots) {
            this.intSlots = intSlots;
            this.longSlots = longSlots;
        }
    }

    // slots an event's fields are read into
    static final int S_START = 0, S_DURATION = 1, S_THREAD = 2, S_STACK = 3, S_CLASS = 4, S_VALUE = 5,
            S_ADDRESS = 6, S_OTHER = 7, S_DETAIL = 8, S_EXTRA = 9, S_KIND = 10, SLOTS = 11;

    /** How one event type is decoded: the slot of each field (-1 to skip), up to the last field needed. */
    static final class Plan {
        final Handler handler;
        final EventKind kind;
        final String typeName;
        final long typeId;
        final Field[] fields;
        final int[] slot;
        final int used;
        final Field[] fieldOfSlot = new Field[SLOTS];
        /** The slots holding a key to number as a thread (0), stack (1) or class (2), and which. */
        final int[] refSlots, refKinds;
        /** The slots holding a text, and the int column each goes in. */
        final int[] textSlots, textColumns;
        /** Per text slot whose field is a pool entry: key → the chunk's number for the text (see {@link Chunk#text}). Made here, not on first use: a null first met late in the decoding loop has the JIT compile the loop again. */
        final LongIntMap[] pooledTexts;
        /**
         * The decoded events of this type, a column per value: {@link Handler#intSlots}, then the start and
         * {@link Handler#longSlots}. Threads, stacks and classes are their number in the chunk + 1 (0: none); texts are
         * indexes into the chunk's texts (-1: none).
         */
        Columns columns;
        /** Whether the rows are made from the event store's columns ({@link Chunk#rowsFromStore}, {@link Chunk#eventsFromStore}) rather than decoded again. */
        boolean fromStore;
        /** Whether the values need {@link Chunk#adjust}ing for the kind. */
        final boolean adjust;
        /** The event kind's ordinal, 0 for other handlers. */
        final int kindOrdinal;

        Plan(Handler handler, EventKind kind, Type type, Map<String, Integer> slots) {
            this.handler = handler;
            this.kind = kind;
            this.typeName = type.name;
            this.typeId = type.id;
            this.fields = type.fields.toArray(new Field[0]);
            this.slot = new int[fields.length];
            int last = -1;
            boolean sampled = type.fieldIndex("sampledThread") >= 0;
            for (int i = 0; i < fields.length; i++) {
                String f = fields[i].name;
                Integer s = switch (f) {
                    case "startTime" -> S_START;
                    case "duration" -> S_DURATION;
                    case "sampledThread" -> S_THREAD;
                    case "eventThread" -> sampled ? null : Integer.valueOf(S_THREAD);
                    case "stackTrace" -> S_STACK;
                    default -> slots.get(f);
                };
                slot[i] = s == null ? -1 : s;
                if (s != null) {
                    last = i;
                    fieldOfSlot[s] = fields[i];
                }
            }
            this.used = last + 1;
            List<int[]> refs = new ArrayList<>();
            if (handler == Handler.SAMPLE || handler == Handler.ALLOCATION || handler == Handler.EVENT) {
                refs.add(new int[] {S_THREAD, 0});
                refs.add(new int[] {S_STACK, 1});
            }
            if (handler == Handler.ALLOCATION || handler == Handler.EVENT) refs.add(new int[] {S_CLASS, 2});
            if (handler == Handler.EVENT) refs.add(new int[] {S_OTHER, 0});
            if (kind == EventKind.THREAD_START || kind == EventKind.THREAD_END) refs.add(new int[] {S_EXTRA, 0});
            refSlots = new int[refs.size()];
            refKinds = new int[refs.size()];
            for (int i = 0; i < refs.size(); i++) {
                refSlots[i] = refs.get(i)[0];
                refKinds[i] = refs.get(i)[1];
            }
            int[] texts = switch (handler) {
                case EVENT, JVM_INFO -> new int[] {S_DETAIL};
                case SETTING -> new int[] {S_DETAIL, S_EXTRA};
                default -> new int[0];
            };
            textSlots = texts;
            textColumns = new int[texts.length];
            pooledTexts = new LongIntMap[texts.length];
            for (int k = 0; k < texts.length; k++) {
                for (int j = 0; j < handler.intSlots.length; j++) if (handler.intSlots[j] == texts[k]) textColumns[k] = j;
                Field f = fieldOfSlot[texts[k]];
                if (f != null && f.constantPool) pooledTexts[k] = new LongIntMap();
            }
            kindOrdinal = kind == null ? 0 : kind.ordinal();
            adjust = kind == EventKind.SOCKET_READ || kind == EventKind.SOCKET_WRITE || kind == EventKind.GC_PAUSE || kind == EventKind.CPU_LOAD;
        }

        static final int OP_SKIP = 0, OP_SKIP_VAR = 1, OP_SKIP_BYTE = 2, OP_VAR = 3, OP_NUMBER = 4, OP_STRING = 5;
        /** What to do with each field up to {@link #used}, for the chunk's integer encoding. */
        int[] ops;

        void compile(boolean compressed) {
            ops = new int[used];
            for (int i = 0; i < used; i++) {
                Field f = fields[i];
                int enc = f.type.encoding;
                boolean integer = enc == JfrMetadata.SHORT || enc == JfrMetadata.INT || enc == JfrMetadata.LONG || enc == JfrMetadata.CHAR;
                boolean varint = compressed && !f.array && (f.constantPool || integer);
                boolean oneByte = !f.array && !f.constantPool && (enc == JfrMetadata.BOOLEAN || enc == JfrMetadata.BYTE);
                if (slot[i] < 0 || f.array || (!f.constantPool && enc == JfrMetadata.STRUCT)) {
                    ops[i] = varint ? OP_SKIP_VAR : oneByte ? OP_SKIP_BYTE : OP_SKIP;
                } else if (!f.constantPool && enc == JfrMetadata.STRING) {
                    ops[i] = OP_STRING;
                } else if (varint && f.timespan == 0 && (f.constantPool || enc == JfrMetadata.LONG)) {
                    ops[i] = OP_VAR;
                } else {
                    ops[i] = OP_NUMBER;
                }
            }
        }
    }

    /** Decoded rows of a handler, int and long columns made as long as the scan's count of the events. */
    static final class Columns {
        final int[][] ints;
        /** The start, then the handler's long slots. */
        final long[][] longs;
        int n;

        Columns(Handler h, long rows) {
            int length = (int) Math.min(rows, Integer.MAX_VALUE - 16);
            ints = new int[h.intSlots.length][length];
            longs = new long[1 + h.longSlots.length][length];
        }
    }

    static Plan plan(Type t) {
        String id = t.name;
        switch (id) {
            case "jdk.ExecutionSample", "jdk.NativeMethodSample", "jdk.CPUTimeSample" -> {
                return new Plan(Handler.SAMPLE, null, t, Map.of());
            }
            case "jdk.ObjectAllocationSample", "jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB" -> {
                String weight = switch (id) {
                    case "jdk.ObjectAllocationSample" -> "weight";
                    case "jdk.ObjectAllocationInNewTLAB" -> "tlabSize";
                    default -> "allocationSize";
                };
                return new Plan(Handler.ALLOCATION, null, t, Map.of("objectClass", S_CLASS, weight, S_VALUE));
            }
            case "jdk.JVMInformation" -> {
                return new Plan(Handler.JVM_INFO, null, t, Map.of("jvmVersion", S_DETAIL, "pid", S_VALUE, "jvmStartTime", S_EXTRA));
            }
            case "jdk.ActiveSetting" -> {
                return new Plan(Handler.SETTING, null, t, Map.of("id", S_VALUE, "name", S_DETAIL, "value", S_EXTRA));
            }
            default -> {
                EventKind kind = EventKind.ofJfrType(id);
                if (kind == null) return null;
                Map<String, Integer> slots = switch (kind) {
                    case MONITOR_ENTER -> Map.of("monitorClass", S_CLASS, "address", S_ADDRESS, "previousOwner", S_OTHER);
                    case MONITOR_WAIT -> Map.of("monitorClass", S_CLASS, "address", S_ADDRESS, "notifier", S_OTHER, "timedOut", S_VALUE);
                    case THREAD_PARK -> Map.of("parkedClass", S_CLASS, "address", S_ADDRESS, "timeout", S_VALUE);
                    case THREAD_SLEEP -> Map.of("time", S_VALUE);
                    case SOCKET_READ -> Map.of("host", S_DETAIL, "port", S_EXTRA, "bytesRead", S_VALUE);
                    case SOCKET_WRITE -> Map.of("host", S_DETAIL, "port", S_EXTRA, "bytesWritten", S_VALUE);
                    case FILE_READ -> Map.of("path", S_DETAIL, "bytesRead", S_VALUE);
                    case FILE_WRITE -> Map.of("path", S_DETAIL, "bytesWritten", S_VALUE);
                    case FILE_FORCE -> Map.of("path", S_DETAIL);
                    case THREAD_START -> Map.of("parentThread", S_OTHER, "thread", S_EXTRA);
                    case THREAD_END -> Map.of("thread", S_EXTRA);
                    case GC_PAUSE -> Map.of("name", S_DETAIL, "gcId", S_VALUE, "sumOfPauses", S_EXTRA);
                    case CPU_LOAD -> Map.of("machineTotal", S_VALUE, "jvmUser", S_ADDRESS, "jvmSystem", S_EXTRA);
                    default -> null; // the kinds of Go execution traces have no JFR type
                };
                if (slots == null) return null;
                return new Plan(Handler.EVENT, kind, t, slots);
            }
        }
    }
}
