using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Faable.Actions;
using Faable.Actions.Events;

// Usage: Faable.Actions.Tests.Probe <script.js> [--concurrent N] [--memory-report]
// Prints one line per run: "OK", or "<ExceptionType>|<Limit>|<Message>". A process that dies prints nothing and exits
// non-zero. With --memory-report it first runs a trivial action (so the interpreter is loaded and compiled), then the
// script N times at once, and ends with "peak-growth=<bytes>": the process's peak resident memory during the runs
// minus its resident memory just before them.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Faable.Actions.Tests.Probe <script.js> [--concurrent N] [--memory-report]");
    return 2;
}

var code = File.ReadAllText(args[0]);
var concurrent = 1;
var memoryReport = false;
for (var i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--concurrent" when i + 1 < args.Length:
            concurrent = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--memory-report":
            memoryReport = true;
            break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'");
            return 2;
    }
}

var limits = new ActionLimits { Timeout = TimeSpan.FromSeconds(10) };
var assembly = typeof(FaableAction).Assembly;
const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;

// The runtime is internal; the probe reaches it by reflection so that the library exposes nothing for it.
var runtimeType = assembly.GetType("Faable.Actions.Internal.Js.JavaScriptActionRuntime", throwOnError: true)!;
var runtime = Activator.CreateInstance(runtimeType, nonPublic: true)!;
var recorderType = assembly.GetType("Faable.Actions.Internal.ActionRecorder", throwOnError: true)!;
var environment = Activator.CreateInstance(assembly.GetType("Faable.Actions.Internal.ActionRunEnvironment", throwOnError: true)!, Any, null, [limits, TimeProvider.System, null], CultureInfo.InvariantCulture)!;
var loginEvent = new LoginEvent { User = new LoginUser { UserId = "user_probe" } };

async Task<string> RunAsync(string source)
{
    var action = new FaableAction("probe", ActionTrigger.PostLogin, source);
    var recorder = Activator.CreateInstance(recorderType, Any, null, [limits], CultureInfo.InvariantCulture)!;
    try
    {
        var task = (Task)runtimeType.GetMethod("RunAsync", Any)!.Invoke(runtime, [action, ActionTrigger.PostLogin, loginEvent, recorder, environment, CancellationToken.None])!;
        await task.ConfigureAwait(false);
        return "OK";
    }
    catch (FaableActionException ex)
    {
        var limit = ex is ActionLimitExceededException limited ? limited.Limit : "";
        return $"{ex.GetType().Name}|{limit}|{ex.Message.ReplaceLineEndings(" ")}";
    }
}

long before = 0;
if (memoryReport)
{
    await RunAsync("exports.onExecutePostLogin = async (event, api) => { new Uint8Array(8); 'x'.repeat(8).padEnd(9); [1].join(); /a/.test('a') }").ConfigureAwait(false);
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    using var self = Process.GetCurrentProcess();
    before = self.WorkingSet64;
}

var runs = Enumerable.Range(0, concurrent).Select(_ => Task.Run(() => RunAsync(code))).ToArray();
foreach (var line in await Task.WhenAll(runs).ConfigureAwait(false))
{
    Console.WriteLine(line);
}

if (memoryReport)
{
    using var self = Process.GetCurrentProcess();
    self.Refresh();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak-growth={self.PeakWorkingSet64 - before}"));
}

return 0;
