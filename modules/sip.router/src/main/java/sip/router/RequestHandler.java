package sip.router;

/**
 * Handles requests of one method (or every method without a handler of its own). Runs on its own
 * virtual thread, so it may block; an exception it throws is logged and, if the request is
 * unanswered, answered {@code 500}.
 */
@FunctionalInterface
public interface RequestHandler {
    void handle(ServerTransaction transaction) throws Exception;
}
