namespace OrdersApi.Hosting;

/// <summary>What a newcomer wants to see once the sample listens: how to get a token, sign in, and send a webhook.</summary>
public static class StartupBanner
{
    /// <summary>The three commands, for <paramref name="setup"/>.</summary>
    public static string Render(FaableSetup setup)
    {
        var origin = setup.PublicOrigin;
        var tenant = setup.SignIn.Authority;
        var tokenCurl =
            $"TOKEN=$(curl -sSf -u {DemoTenant.WorkerClientId}:{DemoTenant.WorkerClientSecret} -d grant_type=client_credentials " +
            $"-d audience={FaableSetup.DemoAudience} {tenant}/oauth/token | sed -nE 's/.*\"access_token\": *\"([^\"]+)\".*/\\1/p') " +
            $"&& curl -sSf {origin}/orders -H \"Authorization: Bearer $TOKEN\"";
        var webhookCurl =
            $"curl -sSf {tenant}/dev/webhooks/send -H 'Content-Type: application/json' " +
            "-d '{\"type\":\"user.created\",\"payload\":{\"user\":{\"user_id\":\"user_5f0c0ffee0000000000000a1\",\"email\":\"margaret@example.com\",\"name\":\"Margaret Hamilton\"}}}'";
        return string.Join(Environment.NewLine,
            "",
            $"OrdersApi is using the local Faable tenant at {tenant} (Development only).",
            "",
            "  1. Get a machine token and list the orders:",
            "     " + tokenCurl,
            "",
            "  2. Sign in in a browser (choose Linus, the GitHub user without an email, to see progressive profiling):",
            $"     {origin}/signin",
            "",
            "  3. Send a signed webhook to /hooks/faable (then GET /users with a read:users token to see the user):",
            "     " + webhookCurl,
            "");
    }

    /// <summary>Prints the banner once the server has started.</summary>
    public static void PrintOnStart(WebApplication app, FaableSetup setup) =>
        app.Lifetime.ApplicationStarted.Register(() => Console.Out.WriteLine(Render(setup)));
}
