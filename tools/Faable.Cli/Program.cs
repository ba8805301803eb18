namespace Faable.Cli;

/// <summary>The entry point of the <c>faable</c> command.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => FaableCli.RunAsync(args, new CliConsole(Console.In, Console.Out, Console.Error, Console.IsInputRedirected));
}
