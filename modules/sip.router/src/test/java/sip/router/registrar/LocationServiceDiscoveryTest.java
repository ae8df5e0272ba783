package sip.router.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import sip.router.Scheduler;
import sip.router.VirtualScheduler;

/**
 * {@link LocationService#load} finds a store the way a Redis or SQL one would plug in: a module
 * of its own, with {@code provides sip.router.registrar.LocationService.Provider with ...}.
 *
 * <p>The tests run patched into the {@code sip.router} module, whose descriptor cannot name a
 * test class, and a named module ignores {@code META-INF/services}. So the test builds that
 * third-party module itself: a descriptor declaring the provider, and the provider class made
 * with the class-file API, defined in a module layer over the boot layer. Its {@code create}
 * calls back {@link #made} (public, hence the public test class), so the test sees what
 * {@code load} did with it.
 */
public class LocationServiceDiscoveryTest {

    private static final AtomicReference<Scheduler> CREATED_ON = new AtomicReference<>();
    private static final String MODULE = "test.store";
    private static final String PROVIDER = "test.store.FoundStore";

    /** What the generated provider's {@code create} returns. */
    public static LocationService made(Scheduler scheduler) {
        CREATED_ON.set(scheduler);
        return LocationService.inMemory(scheduler, Duration.ofSeconds(7));
    }

    @Test
    void withoutAProviderTheStoreIsInMemory() {
        VirtualScheduler clock = new VirtualScheduler();
        try (LocationService store = LocationService.load(clock)) {
            assertSame(InMemoryLocationService.class, store.getClass());
            assertEquals(Instant.EPOCH, store.clock().instant(), "on the scheduler's clock");
        }
    }

    @Test
    void aProviderInAModuleOfItsOwnIsFoundAndUsed() throws Exception {
        ModuleLayer layer = providerLayer();
        VirtualScheduler clock = new VirtualScheduler();
        Thread me = Thread.currentThread();
        ClassLoader before = me.getContextClassLoader();
        me.setContextClassLoader(layer.findLoader(MODULE));
        try (LocationService store = LocationService.load(clock)) {
            assertSame(clock, CREATED_ON.get(), "the provider made the store, on the scheduler given");
            // The provider's store sweeps every 7 s, the default one every 30 s.
            assertEquals(List.of(Duration.ofSeconds(7)), clock.pendingDelays());
        } finally {
            me.setContextClassLoader(before);
        }
        assertEquals(0, clock.pending(), "closing the store stopped its sweep");
        try (Registrar registrar = Registrar.newBuilder(clock).authorizer(RegisterAuthorizer.allowAll()).build()) {
            assertSame(InMemoryLocationService.class, registrar.locationService().getClass());
            assertEquals(List.of(Duration.ofSeconds(30)), clock.pendingDelays(),
                    "outside that layer, the in-memory default");
        }
        assertTrue(clock.pendingDelays().isEmpty(), "Registrar.close closed its store");
    }

    private static ModuleLayer providerLayer() {
        ClassDesc self = ClassDesc.of(LocationServiceDiscoveryTest.class.getName());
        ClassDesc service = ClassDesc.of(LocationService.class.getName());
        ClassDesc scheduler = ClassDesc.of(Scheduler.class.getName());
        MethodTypeDesc create = MethodTypeDesc.of(service, scheduler);
        byte[] provider = ClassFile.of().build(ClassDesc.of(PROVIDER), c -> c
                .withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SUPER)
                .withSuperclass(ConstantDescs.CD_Object)
                .withInterfaceSymbols(ClassDesc.of(LocationService.Provider.class.getName()))
                .withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_PUBLIC, code -> code
                        .aload(0)
                        .invokespecial(ConstantDescs.CD_Object, ConstantDescs.INIT_NAME, ConstantDescs.MTD_void)
                        .return_())
                .withMethodBody("create", create, ClassFile.ACC_PUBLIC, code -> code
                        .aload(1)
                        .invokestatic(self, "made", create)
                        .areturn()));
        ModuleDescriptor descriptor = ModuleDescriptor.newModule(MODULE)
                .requires("sip.router")
                .provides(LocationService.Provider.class.getName(), List.of(PROVIDER))
                .packages(Set.of("test.store"))
                .build();
        ModuleFinder finder = new InMemoryModule(descriptor, "test/store/FoundStore.class", provider).finder();
        Configuration cf = ModuleLayer.boot().configuration().resolveAndBind(finder, ModuleFinder.of(), Set.of(MODULE));
        return ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader());
    }

    /** A module of one class, served from memory. */
    private static final class InMemoryModule extends ModuleReference {
        private final String resource;
        private final byte[] bytes;

        InMemoryModule(ModuleDescriptor descriptor, String resource, byte[] bytes) {
            super(descriptor, URI.create("memory:///" + descriptor.name()));
            this.resource = resource;
            this.bytes = bytes;
        }

        ModuleFinder finder() {
            return new ModuleFinder() {
                @Override
                public Optional<ModuleReference> find(String name) {
                    return name.equals(descriptor().name()) ? Optional.of(InMemoryModule.this) : Optional.empty();
                }

                @Override
                public Set<ModuleReference> findAll() {
                    return Set.of(InMemoryModule.this);
                }
            };
        }

        @Override
        public ModuleReader open() {
            return new ModuleReader() {
                @Override
                public Optional<URI> find(String name) {
                    return name.equals(resource) ? Optional.of(URI.create("memory:///" + name)) : Optional.empty();
                }

                @Override
                public Optional<InputStream> open(String name) {
                    return name.equals(resource) ? Optional.of(new ByteArrayInputStream(bytes)) : Optional.empty();
                }

                @Override
                public Stream<String> list() {
                    return Stream.of(resource);
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
