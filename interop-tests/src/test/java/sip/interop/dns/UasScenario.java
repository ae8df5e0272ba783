package sip.interop.dns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The SIPp UAS scenarios of the DNS tests. They are text here rather than resources because each
 * is short and is read together with the test that runs it; {@link #writeTo} puts one where SIPp
 * can load it.
 */
enum UasScenario {

    /**
     * An OPTIONS answered 200, then in the same Call-ID an INVITE answered 100 and 200 (with a
     * Contact at SIPp's own address, so the ACK and BYE need no DNS), its ACK, and a BYE answered
     * 200. One SIPp "call", because SIPp ties messages to calls by Call-ID only.
     */
    OPTIONS_THEN_CALL("uas-options-then-call", """
              <recv request="OPTIONS"/>
            %s
              <recv request="INVITE"/>
            %s
            %s
              <recv request="ACK"/>
              <recv request="BYE"/>
            %s
            """.formatted(outOfDialog("200 OK", false, false), provisional("100 Trying"),
            outOfDialog("200 OK", true, true), inDialog("200 OK"))),

    /** A call answered 100 and 200, its ACK, a BYE answered 200. */
    ANSWER("uas-answer", """
              <recv request="INVITE"/>
            %s
            %s
              <recv request="ACK"/>
              <recv request="BYE"/>
            %s
            """.formatted(provisional("100 Trying"), outOfDialog("200 OK", true, true), inDialog("200 OK"))),

    /**
     * An INVITE answered 100 then 503 without Retry-After (the answer RFC 3263 §4.3 fails over
     * on), retransmitted over UDP until the ACK of the 503 arrives.
     */
    UNAVAILABLE_503("uas-503", """
              <recv request="INVITE"/>
            %s
            %s
              <recv request="ACK"/>
            """.formatted(provisional("100 Trying"), outOfDialog("503 Service Unavailable", true, false))),

    /**
     * An INVITE answered 100 then 503 with {@code Retry-After: 30}: the server says when to come
     * back, so the 503 is the answer (no failover, RFC 3261 §21.5.4) and only this target is
     * blocked, for those 30 s.
     */
    UNAVAILABLE_503_RETRY_AFTER("uas-503-retry-after", """
              <recv request="INVITE"/>
            %s
            %s
              <recv request="ACK"/>
            """.formatted(provisional("100 Trying"),
            response("503 Service Unavailable", Lines.TO_TAGGED, true, "Retry-After: 30"))),

    /** An OPTIONS answered 200. */
    OPTIONS_ANSWER("uas-options-answer", """
              <recv request="OPTIONS"/>
            %s
            """.formatted(outOfDialog("200 OK", false, false))),

    /** An OPTIONS answered 503 without Retry-After. */
    OPTIONS_UNAVAILABLE_503("uas-options-503", """
              <recv request="OPTIONS"/>
            %s
            """.formatted(outOfDialog("503 Service Unavailable", false, false)));

    /** Header lines of SIPp responses; a class of their own, as enum constants cannot use the enum's statics. */
    private static final class Lines {
        /** The To of a response outside a dialog, with SIPp's tag added. */
        static final String TO_TAGGED = "[last_To:];tag=[pid]SIPpTag01[call_number]";
        /** SIPp's own address, where the ACK and BYE of its 2xx go. */
        static final String CONTACT = "Contact: <sip:alice@[local_ip]:[local_port];transport=[transport]>";
    }

    private final String name;
    private final String steps;

    UasScenario(String name, String steps) {
        this.name = name;
        this.steps = steps;
    }

    /** Writes the scenario file into {@code dir} (once) and returns its path. */
    Path writeTo(Path dir) throws IOException {
        Path file = dir.resolve(name + ".xml");
        if (!Files.exists(file)) {
            String xml = """
                    <?xml version="1.0" encoding="ISO-8859-1" ?>
                    <!DOCTYPE scenario SYSTEM "sipp.dtd">
                    <scenario name="%s">
                    %s</scenario>
                    """.formatted(name, steps);
            Files.writeString(file, xml, StandardCharsets.ISO_8859_1);
        }
        return file;
    }

    /** A provisional response: no To tag, it makes no dialog. */
    private static String provisional(String status) {
        return response(status, "[last_To:]", false);
    }

    /**
     * A final response to a request outside a dialog: SIPp adds its To tag. {@code retransmitted}:
     * SIPp resends it over UDP until the next message arrives (a final response to an INVITE
     * waits for its ACK, RFC 3261 §17.2.1). {@code contact}: SIPp's own address as Contact, where
     * the ACK and BYE of a 2xx go.
     */
    private static String outOfDialog(String status, boolean retransmitted, boolean contact) {
        return contact ? response(status, Lines.TO_TAGGED, retransmitted, Lines.CONTACT)
                : response(status, Lines.TO_TAGGED, retransmitted);
    }

    /** A final response to a request inside the dialog: its To has SIPp's tag already. */
    private static String inDialog(String status) {
        return response(status, "[last_To:]", false);
    }

    private static String response(String status, String to, boolean retransmitted, String... headers) {
        return "  <send" + (retransmitted ? " retrans=\"500\"" : "") + ">\n"
                + "    <![CDATA[\n"
                + "      SIP/2.0 " + status + "\n"
                + "      [last_Via:]\n"
                + "      [last_From:]\n"
                + "      " + to + "\n"
                + "      [last_Call-ID:]\n"
                + "      [last_CSeq:]\n"
                + String.join("", java.util.Arrays.stream(headers).map(h -> "      " + h + "\n").toList())
                + "      Content-Length: 0\n"
                + "\n"
                + "    ]]>\n"
                + "  </send>";
    }
}
