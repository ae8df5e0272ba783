package sip.message.internal;

import sip.message.Method;

/**
 * What the first pass learns about one message: where the start line's parts and each header
 * field's name and value are, and where the body starts. Scratch state, reused by one parsing
 * thread; {@link WireMessage} copies what it keeps.
 */
final class MessageHead {
    /**
     * Field index stride: {@link #pack packed} header id and name start, value start, value end.
     * Three ints a field rather than four: the index is most of what a parse allocates.
     */
    static final int STRIDE = 3;
    /** Largest name offset the packed form holds (16 MiB - 1); the parser's limits stay below. */
    static final int MAX_OFFSET = (1 << 24) - 1;

    /** Standard header ordinal (-1 for an extension) in the top byte, name start below. */
    static int pack(int id, int nameStart) {
        return ((id + 1) << 24) | nameStart;
    }

    static int id(int packed) {
        return (packed >>> 24) - 1;
    }

    static int nameStart(int packed) {
        return packed & MAX_OFFSET;
    }

    int msgStart;
    boolean startLineOk;
    boolean request;
    // request line
    Method method;
    int methodEnd;
    int uriStart;
    int uriEnd;
    // status line
    int code;
    int reasonStart;
    int reasonEnd;
    // headers
    int[] idx = new int[64 * STRIDE];
    int count;
    long singlesSeen;
    int contentLengthField = -1;
    long contentLength = -1;
    int bodyStart;
    boolean bareLf;
    // error
    String error;
    sip.message.Status errorStatus;
    int errorPos;
    int errorField = -1;
    sip.message.Violation errorViolation;
    /** The error is a repeated single-value header; a rescan tolerating repeats reads them all. */
    boolean repeatedSingle;
    boolean tolerateRepeats;

    void reset(int start) {
        msgStart = start;
        startLineOk = false;
        request = false;
        method = null;
        count = 0;
        singlesSeen = 0;
        repeatedSingle = false;
        tolerateRepeats = false;
        contentLengthField = -1;
        contentLength = -1;
        bodyStart = -1;
        bareLf = false;
        error = null;
        errorStatus = null;
        errorPos = 0;
        errorField = -1;
        errorViolation = null;
    }

    int[] ensureCapacity(int fields) {
        if (fields * STRIDE > idx.length) {
            idx = java.util.Arrays.copyOf(idx, Math.max(idx.length * 2, fields * STRIDE));
        }
        return idx;
    }
}
