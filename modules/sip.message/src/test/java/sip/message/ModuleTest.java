package sip.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module's shape: a named module exporting its API package only, depending on nothing. */
class ModuleTest {
    @Test
    void exportsOnlyTheApiPackage() {
        Module m = SipParser.class.getModule();
        assertTrue(m.isNamed(), "tests run on the module path");
        assertEquals("sip.message", m.getName());
        ModuleDescriptor d = m.getDescriptor();
        assertEquals(Set.of("sip.message"), d.exports().stream().map(ModuleDescriptor.Exports::source)
            .collect(Collectors.toSet()));
        assertTrue(d.packages().contains("sip.message.internal"));
        assertFalse(m.isExported("sip.message.internal"));
        assertEquals(Set.of("java.base"), d.requires().stream().map(ModuleDescriptor.Requires::name)
            .collect(Collectors.toSet()), "no dependencies");
    }
}
