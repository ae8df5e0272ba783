package sip.router.auth;

import sip.router.ServerTransaction;

/**
 * Handles a request whose sender proved who they are; what
 * {@link DigestAuthenticator#protect} calls. Runs on the request handler's virtual thread, so
 * it may block.
 */
@FunctionalInterface
public interface AuthenticatedHandler {
    void handle(ServerTransaction transaction, String user) throws Exception;
}
