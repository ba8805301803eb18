using System.Globalization;
using System.Reflection;
using Faable.Actions;
using Faable.Actions.Events;

// Usage: Faable.Actions.Tests.Probe <script.js>
// Prints one line: "OK", or "<ExceptionType>|<Limit>|<Message>". A process that dies prints nothing and exits non-zero.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Faable.Actions.Tests.Probe <script.js>");
    return 2;
}

var code = File.ReadAllText(args[0]);
var limits = new ActionLimits { Timeout = TimeSpan.FromSeconds(10) };
var assembly = typeof(FaableAction).Assembly;
const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;

// The runtime is internal; the probe reaches it by reflection so that the library exposes nothing for it.
var runtimeType = assembly.GetType("Faable.Actions.Internal.Js.JavaScriptActionRuntime", throwOnError: true)!;
var runtime = Activator.CreateInstance(runtimeType, nonPublic: true)!;
var recorder = Activator.CreateInstance(assembly.GetType("Faable.Actions.Internal.ActionRecorder", throwOnError: true)!, Any, null, [limits], CultureInfo.InvariantCulture)!;
var environment = Activator.CreateInstance(assembly.GetType("Faable.Actions.Internal.ActionRunEnvironment", throwOnError: true)!, Any, null, [limits, TimeProvider.System, null], CultureInfo.InvariantCulture)!;
var action = new FaableAction("probe", ActionTrigger.PostLogin, code);
var loginEvent = new LoginEvent { User = new LoginUser { UserId = "user_probe" } };

try
{
    var task = (Task)runtimeType.GetMethod("RunAsync", Any)!.Invoke(runtime, [action, ActionTrigger.PostLogin, loginEvent, recorder, environment, CancellationToken.None])!;
    await task.ConfigureAwait(false);
    Console.WriteLine("OK");
}
catch (FaableActionException ex)
{
    var limit = ex is ActionLimitExceededException limited ? limited.Limit : "";
    Console.WriteLine($"{ex.GetType().Name}|{limit}|{ex.Message.ReplaceLineEndings(" ")}");
}

return 0;
