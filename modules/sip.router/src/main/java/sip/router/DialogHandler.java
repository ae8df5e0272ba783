package sip.router;

/**
 * Handles a new INVITE as a {@link ServerDialog} ({@link Server#onDialog}). Runs on its own
 * virtual thread, so it may block (ring, wait, then answer); it may also return at once and
 * answer later from any thread. An exception it throws is logged and, if the INVITE is
 * unanswered, answered {@code 500}.
 */
@FunctionalInterface
public interface DialogHandler {
    void handle(ServerDialog dialog) throws Exception;
}
