// Stand-in for examples/proxy.js, used by benchmarks/script-load.sh only while that file does not
// exist (SCRIPT= picks another): the same logic as the contract of examples/proxy.js says —
// REGISTER to the registrar; any other out-of-dialog request relayed to the contacts registered
// for its Request-URI with Record-Route, 404 when there are none. Requests inside a
// record-routed dialog never reach a script: Parley's proxy relays them itself.
export function onRequest(req, sip) {
    if (req.method === 'REGISTER') {
        sip.registrar.save(req);
        return;
    }
    const contacts = sip.location.lookup(req.uri.toString());
    if (contacts.length === 0) {
        sip.reply(404);
        return;
    }
    sip.relay(req, contacts, { recordRoute: true });
}
