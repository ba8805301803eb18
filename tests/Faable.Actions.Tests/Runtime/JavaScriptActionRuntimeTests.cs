using System.Net;
using System.Text;
using Faable.Actions.Internal;
using Faable.Actions.Internal.Js;
using Microsoft.Extensions.Time.Testing;

namespace Faable.Actions.Tests.Runtime;

public sealed class JavaScriptActionRuntimeTests
{
    private static readonly JavaScriptActionRuntime s_runtime = new();

    private static Task<ActionRecorder> Run(string body, TimeProvider? time = null, HttpMessageHandler? fetch = null, ActionLimits? limits = null) =>
        RuntimeHarness.RunAsync(s_runtime, $"exports.onExecutePostLogin = async (event, api) => {{\n{body}\n}}", time: time, fetch: fetch, limits: limits);

    private static async Task<string?> Eval(string expression, TimeProvider? time = null, HttpMessageHandler? fetch = null) =>
        (await Run($"api.access.deny(String({expression}))", time, fetch)).Deny?.Reason;

    [Fact]
    public async Task ModuleExports_Object_Works()
    {
        var recorder = await RuntimeHarness.RunAsync(s_runtime, "module.exports = { onExecutePostLogin: async (event, api) => api.access.deny('module') }");

        Assert.Equal("module", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task SyncHandler_Works()
    {
        var recorder = await RuntimeHarness.RunAsync(s_runtime, "exports.onExecutePostLogin = function (event, api) { api.access.deny('sync') }");

        Assert.Equal("sync", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task ExportsNothingForTrigger_ListsWhatItExports()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => RuntimeHarness.RunAsync(s_runtime, "exports.onExecute = async () => {}; exports.helper = 1"));

        Assert.Contains("exports no function 'onExecutePostLogin'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("it exports: onExecute, helper", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportsNothingAtAll_SaysNothing()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => RuntimeHarness.RunAsync(s_runtime, "const x = 1"));

        Assert.Contains("it exports: nothing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyntaxError_ReportsLineAndColumn()
    {
        var action = new FaableAction("broken", ActionTrigger.PostLogin, "exports.onExecutePostLogin = async (event, api) => {\n  if (\n}");

        var ex = Assert.Throws<ActionScriptException>(() => s_runtime.Prepare(action, ActionTrigger.PostLogin));

        Assert.Contains("does not parse", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, ex.Line);
        Assert.Equal("broken", ex.ActionName);
    }

    [Fact]
    public async Task UnknownGlobals_ReportedBeforeRunningWithNamesButNotRefused()
    {
        var action = new FaableAction("node", ActionTrigger.PostLogin, "exports.onExecutePostLogin = async (e, api) => { if (process.env.X) Buffer.from('x'); api.access.deny('ran') }");

        s_runtime.Prepare(action, ActionTrigger.PostLogin);
        var warning = Assert.Single(s_runtime.Warnings(action));

        Assert.Contains("Buffer, process", warning, StringComparison.Ordinal);
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => RuntimeHarness.RunAsync(s_runtime, action.Code));
        Assert.Contains("ReferenceError: process is not defined", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeclaredIdentifiers_AreNotReportedAsGlobals()
    {
        var recorder = await RuntimeHarness.RunAsync(s_runtime, """
            const process = { env: {} }
            function Buffer() {}
            let helper = x => x
            exports.onExecutePostLogin = async (event, api) => { api.access.deny(typeof process.env + typeof Buffer + helper('!')) }
            """);

        Assert.Equal("objectfunction!", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task IpFields_AbsentWhenSourceDoesNotNameThem()
    {
        Assert.Equal("undefined", await Eval("Object.keys(event.request).find(k => k.startsWith('ip_'))"));
    }

    [Fact]
    public async Task IpFields_PresentWhenSourceNamesThem()
    {
        Assert.Equal("true,2,5", await Eval("[event.request.ip_datacenter, event.request.ip_active_blocks, event.request.ip_network_active_blocks]"));
    }

    [Fact]
    public async Task MissingEmail_IsUndefined()
    {
        var recorder = await RuntimeHarness.RunAsync(s_runtime, "exports.onExecutePostLogin = async (event, api) => api.access.deny(typeof event.user.email)", loginEvent: RuntimeHarness.Event(email: null));

        Assert.Equal("undefined", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task DateNow_ReadsTheTimeProvider()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

        Assert.Equal("2030-01-02T03:04:05.000Z", await Eval("new Date(Date.now()).toISOString()", time));
    }

    [Fact]
    public async Task SetTimeout_VirtualDelay_AdvancesDateNowWithoutWaiting()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();

        var recorder = await Run("const t0 = Date.now(); await new Promise(r => setTimeout(r, 3000)); api.access.deny(String(Date.now() - t0))");

        Assert.True(int.Parse(recorder.Deny!.Reason, System.Globalization.CultureInfo.InvariantCulture) >= 3000);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task SetTimeout_FiresInDueOrderAndClearTimeoutCancels()
    {
        var recorder = await Run("""
            const order = []
            setTimeout(() => order.push('b'), 20)
            setTimeout(x => order.push(x), 10, 'a')
            const c = setTimeout(() => order.push('never'), 5)
            clearTimeout(c)
            await new Promise(r => setTimeout(r, 30))
            api.access.deny(order.join(''))
            """);

        Assert.Equal("ab", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task Fetch_AnsweredByHandler_WithStatusHeadersAndJson()
    {
        var handler = new RouteHandler(request => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent($$"""{"method":"{{request.Method}}","auth":"{{request.Headers.Authorization}}","body":"{{request.Content?.ReadAsStringAsync().Result}}"}""", Encoding.UTF8, "application/json"),
        });

        var recorder = await Run("""
            const res = await fetch('https://api.shop.example.com/risk', { method: 'POST', headers: { Authorization: 'Bearer t' }, body: 'x=1' })
            const data = await res.json()
            api.access.deny([res.status, res.ok, res.headers.get('Content-Type'), data.method, data.auth, data.body].join('|'))
            """, fetch: handler);

        Assert.Equal("200|true|application/json; charset=utf-8|POST|Bearer t|x=1", recorder.Deny?.Reason);
        Assert.Equal("https://api.shop.example.com/risk", Assert.Single(handler.Requests).RequestUri!.ToString());
    }

    [Fact]
    public async Task Fetch_SlowHandler_IsAwaitedWithinBudget()
    {
        var handler = new RouteHandler(async _ =>
        {
            await Task.Delay(200);
            return new HttpResponseMessage(HttpStatusCode.Accepted) { Content = new StringContent("slow") };
        });

        var recorder = await Run("const r = await fetch('https://api.example.com/'); api.access.deny(r.status + ':' + await r.text())", fetch: handler);

        Assert.Equal("202:slow", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task Fetch_HandlerSlowerThanBudget_TimesOut()
    {
        var handler = new RouteHandler(async _ =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30));
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        await Assert.ThrowsAsync<ActionTimeoutException>(() => Run("await fetch('https://api.example.com/')", fetch: handler, limits: new ActionLimits { Timeout = TimeSpan.FromMilliseconds(300) }));
    }

    [Fact]
    public async Task Fetch_NotAwaited_IsCancelledWhenTheActionEnds()
    {
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RouteHandler(async request =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), request.Options.TryGetValue(new HttpRequestOptionsKey<CancellationToken>("ct"), out var ct) ? ct : default);
            }
            finally
            {
                cancelled.TrySetResult(true);
            }

            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        var recorder = await Run("fetch('https://audit.example.com/'); api.access.deny('done')", fetch: handler);

        Assert.Equal("done", recorder.Deny?.Reason);
        Assert.True(await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Fetch_WithoutHandler_RejectsWithClearError()
    {
        var recorder = await Run("try { await fetch('https://api.example.com/') } catch (e) { api.access.deny(e.name + ': ' + e.message) }");

        Assert.StartsWith("TypeError: fetch is not available", recorder.Deny?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Url_ParsesAndEditsSearchParams()
    {
        var recorder = await Run("""
            const u = new URL('https://shop.example.com:8443/profile?step=1#top')
            u.searchParams.set('email', 'a b@example.com')
            u.searchParams.append('x', "it's")
            api.access.deny([u.protocol, u.hostname, u.port, u.pathname, u.origin, u.href].join('|'))
            """);

        Assert.Equal("https:|shop.example.com|8443|/profile|https://shop.example.com:8443|https://shop.example.com:8443/profile?step=1&email=a+b%40example.com&x=it%27s#top", recorder.Deny?.Reason);
    }

    [Fact]
    public async Task Url_Relative_ResolvesAgainstBase()
    {
        Assert.Equal("https://shop.example.com/a/c?d=1", await Eval("new URL('c?d=1', 'https://shop.example.com/a/b').href"));
    }

    [Fact]
    public async Task Url_Invalid_ThrowsTypeError()
    {
        Assert.Equal("TypeError", await Eval("(() => { try { new URL('not a url') } catch (e) { return e.name } })()"));
    }

    [Fact]
    public async Task UrlSearchParams_ParsesAndSerializes()
    {
        Assert.Equal("b c|1,3|a=1&b=b+c&a=3", await Eval("(() => { const p = new URLSearchParams('?a=1&b=b+c&a=3'); return [p.get('b'), p.getAll('a').join(), p.toString()].join('|') })()"));
    }

    [Fact]
    public async Task TextEncoderDecoder_RoundTripUtf8()
    {
        Assert.Equal("5|héllo", await Eval("(() => { const b = new TextEncoder().encode('héllo'); return b.length - 1 + '|' + new TextDecoder().decode(b) })()"));
    }

    [Fact]
    public async Task AtobBtoa_RoundTrip()
    {
        Assert.Equal("aGVsbG8=|hello|InvalidCharacterError", await Eval("[btoa('hello'), atob('aGVsbG8'), (() => { try { btoa('€') } catch (e) { return e.name } })()].join('|')"));
    }

    [Fact]
    public async Task CryptoRandomUuid_IsVersion4()
    {
        var uuid = await Eval("crypto.randomUUID()");

        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", uuid);
    }

    [Fact]
    public async Task Console_FormatsObjectsAsJson()
    {
        var recorder = await Run("console.log('user', { id: 1 }, [1, 2], 3, null)");

        Assert.Equal("user {\"id\":1} [1,2] 3 null", Assert.Single(recorder.Console).Text);
    }

    [Fact]
    public async Task ScriptError_CarriesJavaScriptStack()
    {
        var ex = await Assert.ThrowsAsync<ActionScriptException>(() => RuntimeHarness.RunAsync(s_runtime, "function check(u) {\n  return u.missing.field\n}\nexports.onExecutePostLogin = async (event) => { check(event.user) }"));

        Assert.Equal(2, ex.Line);
        Assert.Contains("TypeError", ex.Message, StringComparison.Ordinal);
        Assert.Contains("action.js:2:", ex.ScriptStack, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallerCancellation_IsNotReportedAsTimeout()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var action = new FaableAction("slow", ActionTrigger.PostLogin, "exports.onExecutePostLogin = async () => { await fetch('https://api.example.com/') }");
        var limits = new ActionLimits();
        var hanging = new RouteHandler(async _ =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30));
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        var environment = new ActionRunEnvironment(limits, TimeProvider.System, hanging);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => s_runtime.RunAsync(action, ActionTrigger.PostLogin, RuntimeHarness.Event(), new ActionRecorder(limits), environment, cts.Token));
    }

    /// <summary>A fetch handler that answers every request with a function of it.</summary>
    private sealed class RouteHandler(Func<HttpRequestMessage, Task<HttpResponseMessage>> respond) : HttpMessageHandler
    {
        public RouteHandler(Func<HttpRequestMessage, HttpResponseMessage> respond)
            : this(r => Task.FromResult(respond(r)))
        {
        }

        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            request.Options.Set(new HttpRequestOptionsKey<CancellationToken>("ct"), cancellationToken);
            return respond(request);
        }
    }
}
