package sip.script.internal.runtime;

import sip.router.proxy.Proxy;
import sip.router.registrar.LocationService;
import sip.router.registrar.Registrar;
import sip.script.ReloadResult;
import sip.script.ScriptConfig;
import sip.script.ScriptException;
import sip.script.ScriptRuntime;
import sip.script.ScriptStats;
import sip.script.ScriptVersion;

/** The {@link ScriptRuntime}: a {@link ScriptExecutor} behind a real {@link Proxy}. */
public final class RouterScriptRuntime implements ScriptRuntime {

    private RouterScriptRuntime() {
    }

    public static ScriptRuntime start(RuntimeSettings settings) throws ScriptException {
        throw new UnsupportedOperationException("skeleton");
    }

    @Override
    public ScriptVersion version() {
        throw new UnsupportedOperationException("skeleton");
    }

    @Override
    public ReloadResult reload() {
        throw new UnsupportedOperationException("skeleton");
    }

    @Override
    public ScriptStats stats() {
        throw new UnsupportedOperationException("skeleton");
    }

    @Override
    public ScriptConfig config() {
        throw new UnsupportedOperationException("skeleton");
    }

    @Override
    public Proxy proxy() {
        throw new UnsupportedOperationException("skeleton");
    }

    @Override
    public Registrar registrar() {
        throw new UnsupportedOperationException("skeleton");
    }

    @Override
    public LocationService locationService() {
        throw new UnsupportedOperationException("skeleton");
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("skeleton");
    }
}
