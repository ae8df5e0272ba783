// The routing of Parley's examples/proxy.js, written for Kamailio's KEMI (app_jsdt, Duktape,
// ECMAScript 5: no modules, no arrow functions). Kamailio calls ksr_request_route() for every
// request; what Parley's proxy does before a script sees a request is spelled out here, since
// Kamailio leaves it to the script:
//   - Max-Forwards (Parley's proxy answers 483 itself),
//   - requests inside a record-routed dialog follow their Route set (Parley's proxy relays them
//     without the script), others with a To tag get 404,
//   - a CANCEL goes to its INVITE's transaction (Parley's proxy matches it),
//   - retransmissions are absorbed by the transaction layer (t_check_trans; Parley's server
//     transactions absorb them).
// Then proxy.js's own logic: REGISTER -> registrar.save; else lookup of the Request-URI's AoR ->
// relay with Record-Route, or 404 when nothing is registered.
function ksr_request_route() {
    if (KSR.maxfwd.process_maxfwd(10) < 0) {
        KSR.sl.sl_send_reply(483, "Too Many Hops");
        return;
    }
    if (KSR.siputils.has_totag() > 0) {
        if (KSR.rr.loose_route() > 0) {
            KSR.tm.t_relay();
        } else if (!KSR.is_ACK()) {
            KSR.sl.sl_send_reply(404, "Not Found");
        }
        return;
    }
    if (KSR.is_CANCEL()) {
        if (KSR.tm.t_check_trans() > 0) {
            KSR.tm.t_relay();
        }
        return;
    }
    if (KSR.tm.t_check_trans() == 0) {
        return;   // a retransmission, resent or absorbed by tm
    }
    if (KSR.is_REGISTER()) {
        KSR.registrar.save("location", 0);
        return;
    }
    if (KSR.registrar.lookup("location") < 0) {
        KSR.sl.sl_send_reply(404, "Not Found");
        return;
    }
    KSR.rr.record_route();
    if (KSR.tm.t_relay() < 0) {
        KSR.sl.sl_reply_error();
    }
}
