namespace Faable.TokenDoctor;

/// <summary>The entry point of <c>faable-token-doctor</c>.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) =>
        TokenDoctorCommand.RunAsync(args, Console.In, Console.Out, Console.Error, null, CancellationToken.None);
}
