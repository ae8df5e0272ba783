package sip.router;

import java.util.Objects;

/**
 * A dialog's identity (RFC 3261 §12): the Call-ID and the two tags, seen from this side. The
 * local tag is the From tag of the requests this side sends in the dialog; the remote tag their
 * To tag.
 *
 * @param callId the Call-ID
 * @param localTag this side's tag
 * @param remoteTag the peer's tag; null only for a {@link ClientDialog} before any response with
 *     a To tag arrived
 */
public record DialogId(String callId, String localTag, String remoteTag) {

    public DialogId {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(localTag, "localTag");
    }

    @Override
    public String toString() {
        return callId + ";local=" + localTag + ";remote=" + remoteTag;
    }
}
