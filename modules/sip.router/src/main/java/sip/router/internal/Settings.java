package sip.router.internal;

import java.time.Duration;
import sip.message.NameAddress;
import sip.router.Scheduler;
import sip.router.ServerLocator;
import sip.router.SipTimers;
import sip.transport.spi.TransportConfig;

/**
 * A {@link sip.router.UserAgent}'s settings, as validated by its builder (defaults are documented
 * there). {@code identity}, {@code hostName} and {@code credentials} may be null: derived from the listeners.
 */
public record Settings(
        String name,
        NameAddress identity,
        String hostName,
        TransportConfig transportConfig,
        SipTimers timers,
        Scheduler scheduler,
        ServerLocator locator,
        Duration tryingDelay,
        int maxServerTransactions,
        Duration retryAfter,
        Duration handlerTimeout,
        Duration inviteHandlerTimeout,
        Duration closeTimeout,
        sip.router.auth.CredentialsProvider credentials,
        Duration maxDialogDuration,
        Duration destinationBlockTime) {

    /** Failed destinations blocked for 60 s (the builder's default). */
    public Settings(String name, NameAddress identity, String hostName, TransportConfig transportConfig,
                    SipTimers timers, Scheduler scheduler, ServerLocator locator, Duration tryingDelay,
                    int maxServerTransactions, Duration retryAfter, Duration handlerTimeout,
                    Duration inviteHandlerTimeout, Duration closeTimeout,
                    sip.router.auth.CredentialsProvider credentials, Duration maxDialogDuration) {
        this(name, identity, hostName, transportConfig, timers, scheduler, locator, tryingDelay,
                maxServerTransactions, retryAfter, handlerTimeout, inviteHandlerTimeout, closeTimeout, credentials,
                maxDialogDuration, Duration.ofSeconds(60));
    }

    /** Settings without client credentials (challenges go to the caller), dialogs at most 12 h. */
    public Settings(String name, NameAddress identity, String hostName, TransportConfig transportConfig,
                    SipTimers timers, Scheduler scheduler, ServerLocator locator, Duration tryingDelay,
                    int maxServerTransactions, Duration retryAfter, Duration handlerTimeout,
                    Duration inviteHandlerTimeout, Duration closeTimeout) {
        this(name, identity, hostName, transportConfig, timers, scheduler, locator, tryingDelay,
                maxServerTransactions, retryAfter, handlerTimeout, inviteHandlerTimeout, closeTimeout, null,
                Duration.ofHours(12));
    }
}
