/**
 * A SIP user agent and proxy library: transactions (RFC 3261 §17, RFC 6026) over the transport
 * SPI (§18, RFC 3581) behind the {@link sip.router.UserAgent} / {@link sip.router.Server} /
 * {@link sip.router.Client} API; dialogs (§12–§15: {@link sip.router.ClientDialog},
 * {@link sip.router.ServerDialog}, re-INVITE and glare, forks, RFC 3262 PRACK); Digest
 * authentication, client and server ({@link sip.router.auth}); the registrar with its location
 * service ({@link sip.router.registrar}); and the stateful proxy (§16, {@link sip.router.proxy}).
 *
 * <h2>Timers and limits</h2>
 * <table>
 * <caption>Defaults, and what happens on breach</caption>
 * <tr><th>Setting</th><th>Default</th><th>On breach</th></tr>
 * <tr><td>T1 / T2 / T4 ({@link sip.router.SipTimers})</td><td>500 ms / 4 s / 5 s</td>
 *     <td>A and E double from T1 (E and G capped at T2); B, F, H, J, L, M = 64×T1; D ≥ 32 s
 *     (0 on reliable transports); I and K = T4 (0 on reliable transports)</td></tr>
 * <tr><td>{@code tryingDelay}</td><td>200 ms</td><td>a server INVITE transaction sends
 *     {@code 100 Trying} itself</td></tr>
 * <tr><td>{@code maxServerTransactions}</td><td>10,000 awaiting a final response</td><td>new
 *     requests answered {@code 503} with {@code Retry-After}, statelessly</td></tr>
 * <tr><td>ringing client INVITE</td><td>{@code inviteHandlerTimeout} + 64×T1</td><td>the client
 *     transaction sends CANCEL and ends with a local 408 (Timer C of RFC 3261 §16.6, applied to
 *     a UAC so no INVITE lives forever)</td></tr>
 * <tr><td>{@code handlerTimeout}</td><td>32 s</td><td>an unanswered non-INVITE is answered
 *     {@code 500}</td></tr>
 * <tr><td>{@code inviteHandlerTimeout}</td><td>3 min</td><td>an unanswered INVITE is answered
 *     {@code 408}</td></tr>
 * <tr><td>{@code maxDialogDuration}</td><td>12 h</td><td>a confirmed dialog is ended with a BYE
 *     ({@link sip.router.DialogEnd.Reason#EXPIRED}); early dialogs end with their INVITE
 *     transaction, a server dialog's unanswered INVITE with {@code inviteHandlerTimeout}</td></tr>
 * <tr><td>dialogs per INVITE sent</td><td>16 (early and forked, To tags of 1xx and 2xx)</td>
 *     <td>a response with one more new To tag makes no dialog: a 1xx is dropped unPRACKed, a 2xx
 *     is ACKed only (no BYE); counted in {@link sip.router.DialogStats#legsRefused()}</td></tr>
 * <tr><td>ACK of a dialog's 2xx</td><td>64×T1 (2xx resent over UDP from T1, doubling to
 *     T2)</td><td>the dialog sends a BYE ({@link sip.router.DialogEnd.Reason#NO_ACK})</td></tr>
 * <tr><td>PRACK of a reliable 1xx (RFC 3262)</td><td>64×T1 (1xx resent over UDP from T1,
 *     doubling)</td><td>the INVITE is answered {@code 504}; one unacknowledged reliable 1xx at a
 *     time ({@code IllegalStateException})</td></tr>
 * <tr><td>re-INVITE glare (§14.1)</td><td>back-off 2.1–4 s (Call-ID owner), 0–2 s (other), 10 ms
 *     steps</td><td>after 4 retries the {@code 491} is the answer; a peer's re-INVITE overtaking
 *     its own unanswered one gets {@code 500} with {@code Retry-After} 0–10 s</td></tr>
 * <tr><td>{@code destinationBlockTime}</td><td>60 s; at most 10,000 blocked destinations; a
 *     {@code Retry-After} block at most 1 h</td><td>a located destination (RFC 3263 §4.3) whose
 *     attempt ended with a transport error, Timer B/F or a {@code 503} without
 *     {@code Retry-After} (the request then moves on to the next one, in a new client
 *     transaction) is tried last for this time; a {@code 503} with {@code Retry-After} blocks it
 *     for those seconds and is the answer; zero disables blocking; a full list forgets expired
 *     entries, then the one expiring soonest</td></tr>
 * <tr><td>response after a lost connection (RFC 3263 §5)</td><td>no limit of its own: the
 *     locator's ({@code sip.dns}: its lookup timeout), then each connect's</td><td>over a reliable
 *     transport, when the connection to {@code received} fails, the sent-by name is located and
 *     its destinations tried in order on a virtual thread; if none connects the response is
 *     dropped and counted as a transport error</td></tr>
 * <tr><td>{@code closeTimeout}</td><td>5 s</td><td>transactions still live at close are ended;
 *     client ones complete with a local 503</td></tr>
 * <tr><td>proxy Timer C, {@code maxContexts} ({@link sip.router.proxy})</td><td>3 min,
 *     10,000</td><td>a silent branch is cancelled or ends with a local 408; new relays are
 *     answered {@code 503} with {@code Retry-After}</td></tr>
 * </table>
 * Transport limits (connections, message size, MTU, idle and write timeouts) are those of
 * {@link sip.transport.spi.TransportConfig}.
 *
 * <h2>Logging</h2>
 * Through slf4j. Logger {@code sip.router.messages} logs every message sent and received at
 * DEBUG, one entry per message headed by direction, transport, addresses and Call-ID, then the
 * message itself. Other loggers are named after their classes.
 */
module sip.router {
    requires transitive sip.message;
    requires transitive sip.transport.spi;
    requires org.slf4j;

    exports sip.router;
    exports sip.router.auth;
    exports sip.router.registrar;
    exports sip.router.proxy;

    // sip.dns (issue #7) provides the RFC 3263 locator; it needs sip.router for the interface, so
    // sip.router must not require sip.dns (JPMS forbids the cycle).
    uses sip.router.ServerLocator;
    // A persistent location service (Redis, SQL) is a provider of this.
    uses sip.router.registrar.LocationService.Provider;
}
