package sip.script.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import sip.message.Contact;
import sip.message.SipRequest;
import sip.script.internal.testing.VirtualClock;

/** The defaults of synthetic requests, and the virtual clock under the tester. */
class SyntheticRequestTest {

    @Test
    void aRegisterGoesToTheDomainOfItsAddressOfRecord() {
        SipRequest r = new SyntheticRequest("REGISTER", "sip:alice@example.test:5080")
                .contact("<sip:alice@10.0.0.2>;expires=60").contact("sip:alice@10.0.0.3;transport=tcp").build();
        assertEquals("sip:example.test:5080", r.requestUri().toString());
        assertEquals("sip:alice@example.test:5080", r.to().uri().toString());
        assertEquals("sip:alice@example.test:5080", r.from().uri().toString());
        assertNotNull(r.fromTag());
        assertNull(r.toTag());
        List<Contact> contacts = r.contacts();
        assertEquals(60, contacts.get(0).expires().getAsLong());
        assertEquals("tcp", ((sip.message.SipUri) contacts.get(1).uri()).parameters().value("transport"),
                "a bare URI's parameters stay the URI's");
        assertTrue(new SyntheticRequest("REGISTER", "sip:bob@example.test").build().contacts().isEmpty(), "a query");
    }

    @Test
    void anInviteHasEverythingAUacSends() {
        SipRequest r = new SyntheticRequest("invite", "sip:bob@example.test").body("application/sdp", "v=0\r\n").build();
        assertEquals("INVITE", r.method().toString());
        assertEquals("sip:bob@example.test", r.to().uri().toString());
        assertEquals("sip:caller@client.test", r.from().uri().toString());
        assertEquals(70, r.maxForwards().getAsInt());
        assertEquals(1, r.cseq().sequence());
        assertEquals("sip:caller@192.0.2.10:5060", r.contacts().getFirst().uri().toString());
        assertEquals("192.0.2.10", r.topVia().host());
        assertTrue(r.topVia().hasRfc3261Branch());
        assertEquals("v=0\r\n", new String(r.body()));
        assertNotEquals(r.callId(), new SyntheticRequest("INVITE", "sip:bob@example.test").build().callId());
    }

    @Test
    void settersShapeTheRequest() {
        SyntheticRequest s = new SyntheticRequest("BYE", "sip:bob@10.0.0.2").from("Alice <sip:alice@example.test>")
                .toTag("t1").callId("c1").cseq(7).maxForwards(3).header("X-A", "1").header("X-A", "2")
                .noContact().source("[2001:db8::5]:5070").transport("TCP");
        SipRequest r = s.build();
        assertEquals("Alice", r.from().displayName());
        assertEquals("t1", r.toTag());
        assertEquals("c1", r.callId());
        assertEquals(7, r.cseq().sequence());
        assertEquals(3, r.maxForwards().getAsInt());
        assertEquals(List.of("1", "2"), r.headerValues(sip.message.HeaderName.of("X-A")));
        assertTrue(r.contacts().isEmpty());
        assertEquals("TCP", r.topVia().transport());
        assertEquals("tcp", s.transport());
        assertEquals(5070, s.source().getPort());
        assertThrows(IllegalArgumentException.class, () -> s.transport("sctp"));
        assertThrows(IllegalArgumentException.class, () -> s.source("10.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> s.source("10.0.0.1:99999"));
        assertThrows(IllegalArgumentException.class, () -> s.body("sdp", "x").build());
    }

    @Test
    void theVirtualClockRunsDueTasksInOrderOnlyWhenAdvanced() {
        VirtualClock clock = new VirtualClock();
        StringBuilder ran = new StringBuilder();
        clock.schedule(Duration.ofSeconds(30), () -> ran.append("b"));
        clock.schedule(Duration.ofSeconds(10), () -> {
            ran.append("a");
            clock.schedule(Duration.ofSeconds(5), () -> ran.append("a2"));
        });
        sip.router.Scheduler.Timer cancelled = clock.schedule(Duration.ofSeconds(20), () -> ran.append("x"));
        assertTrue(cancelled.cancel());
        assertEquals(VirtualClock.START, clock.instant());
        clock.advance(Duration.ofSeconds(29));
        assertEquals("aa2", ran.toString());
        assertEquals(VirtualClock.START.plusSeconds(29), clock.instant());
        clock.advance(Duration.ofSeconds(1));
        assertEquals("aa2b", ran.toString());
        assertEquals(Duration.ofSeconds(30).toNanos(), clock.nanoTime());
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
    }
}
