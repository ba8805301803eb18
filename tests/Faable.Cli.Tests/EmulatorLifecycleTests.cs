using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Faable.Cli.Tests.Infrastructure;

namespace Faable.Cli.Tests;

/// <summary>Starting, stopping and restarting the emulator, and the settings it refuses.</summary>
public sealed class EmulatorLifecycleTests : IDisposable
{
    private const string WorkerSecret = "local-worker-secret-change-me";
    private readonly string _folder = Directory.CreateTempSubdirectory("faable-cli-lifecycle-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Interrupt_LikeCtrlC_StopsCleanlyWithExitCodeZero()
    {
        await using var emulator = await EmulatorProcess.StartAsync(_folder);

        var code = await emulator.InterruptAsync();

        Assert.Equal(0, code);
        Assert.EndsWith("{\"event\":\"stopped\"}" + Environment.NewLine, emulator.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Fact]
    public async Task Restart_WithKeysFolder_TokensFromTheFirstRunStillValidate()
    {
        var keys = Path.Combine(_folder, "keys");
        var port = OrdersApi.Tests.Infrastructure.FreePort.Next();
        string token;
        string firstKid;
        await using (var first = await StartOnAsync(port, "--keys", keys))
        {
            token = await TokenAsync(first.Issuer);
            firstKid = first.Started["keyId"]!.GetValue<string>();
            Assert.Equal(0, await first.InterruptAsync());
        }

        Assert.True(File.Exists(Path.Combine(keys, "signing-key.pem")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(keys, "signing-key.pem")));
        }

        await using var second = await StartOnAsync(port, "--keys", keys);
        var doctor = await FaableTool.RunAsync("token", "doctor", token, "--domain", second.Issuer, "--audience", "https://api.example.com", "--allow-http");

        Assert.Equal(firstKid, second.Started["keyId"]!.GetValue<string>());
        Assert.True(doctor.ExitCode == 0, doctor.ToString());
    }

    [Fact]
    public async Task Restart_WithoutKeysFolder_TokensFromTheFirstRunAreRejected()
    {
        var port = OrdersApi.Tests.Infrastructure.FreePort.Next();
        string token;
        await using (var first = await StartOnAsync(port))
        {
            token = await TokenAsync(first.Issuer);
            Assert.Equal(0, await first.InterruptAsync());
        }

        await using var second = await StartOnAsync(port);
        var doctor = await FaableTool.RunAsync("token", "doctor", token, "--domain", second.Issuer, "--audience", "https://api.example.com", "--allow-http");

        Assert.True(doctor.ExitCode == 1, doctor.ToString());
        Assert.Contains("[FAIL] key", doctor.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_KeyFileThatIsNotAPrivateKey_Exits64SayingWhatToDo()
    {
        var keys = Directory.CreateDirectory(Path.Combine(_folder, "keys")).FullName;
        await File.WriteAllTextAsync(Path.Combine(keys, "signing-key.pem"), "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n", TestContext.Current.CancellationToken);

        var result = await RunToEndAsync("--keys", keys);

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("is not a PEM RSA private key", result.Error, StringComparison.Ordinal);
        Assert.Contains("Delete it", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_ThenStart_UsesTheStarterFileAndKeepsKeysInDotFaable()
    {
        var init = await FaableTool.RunAsync(["emulator", "init"], workingDirectory: _folder);
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains(".gitignore", init.Output, StringComparison.Ordinal);

        await using var emulator = await EmulatorProcess.StartAsync(_folder);

        Assert.Equal(Path.Combine(_folder, "faable.emulator.json"), emulator.Started["settings"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(_folder, ".faable", "keys", "signing-key.pem")));
        Assert.Contains("local-worker", emulator.Started["tokenCurl"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEmpty(await TokenAsync(emulator.Issuer));
    }

    [Fact]
    public async Task Init_FileExists_RefusesWithoutForceAndOverwritesWithIt()
    {
        var path = Path.Combine(_folder, "faable.emulator.json");
        await File.WriteAllTextAsync(path, "{}", TestContext.Current.CancellationToken);

        var refused = await FaableTool.RunAsync(["emulator", "init"], workingDirectory: _folder);
        var forced = await FaableTool.RunAsync(["emulator", "init", "--force", "--json"], workingDirectory: _folder);

        Assert.Equal(64, refused.ExitCode);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal(path, JsonNode.Parse(forced.Output)!["written"]!.GetValue<string>());
        Assert.Contains("local-spa", await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_MissingConfig_Exits64PointingAtInit()
    {
        var result = await RunToEndAsync("--config", "nowhere.json");

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("faable emulator init --config nowhere.json", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_MisspelledSetting_Exits64NamingIt()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "faable.emulator.json"), """{ "Clients": [ { "ClientId": "web", "CallbackUrl": [ "http://localhost:3000/cb" ] } ] }""", TestContext.Current.CancellationToken);

        var result = await RunToEndAsync();

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("faable.emulator.json", result.Error, StringComparison.Ordinal);
        Assert.Contains("CallbackUrl", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ListItemOfTheWrongType_Exits64InsteadOfDroppingTheItem()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "faable.emulator.json"), """{ "Users": [ { "UserId": "user_1", "EmailVerified": "yes" } ] }""", TestContext.Current.CancellationToken);

        var result = await RunToEndAsync();

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("'faable.emulator.json:Users:0:EmailVerified'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InvalidSettings_Exits64WithEveryProblemNamingItsKey()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "faable.emulator.json"), """
            { "Clients": [ { "ClientId": "web", "CallbackUrls": [ "not a url" ] }, { "ClientId": "web" } ],
              "Webhooks": [ { "Url": "http://localhost:5000/hooks", "Secret": "short" } ] }
            """, TestContext.Current.CancellationToken);

        var result = await RunToEndAsync();

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("faable.emulator.json:Clients:0:CallbackUrls:0", result.Error, StringComparison.Ordinal);
        Assert.Contains("faable.emulator.json:Clients:1:ClientId 'web' is used twice", result.Error, StringComparison.Ordinal);
        Assert.Contains("faable.emulator.json:Webhooks:0", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BadJson_Exits64()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "faable.emulator.json"), """{ "Clients": [ """, TestContext.Current.CancellationToken);

        var result = await RunToEndAsync();

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("faable.emulator.json is not valid JSON", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PortInUse_Exits69NamingThePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var emulator = EmulatorProcess.Launch(_folder, port);

        var code = await emulator.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(69, code);
        Assert.Contains($"localhost:{port}", emulator.Error, StringComparison.Ordinal);
        Assert.Contains("--port", emulator.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PortOutOfRange_Exits64()
    {
        var result = await FaableTool.RunAsync(["emulator", "start", "--port", "70000"], workingDirectory: _folder);

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("--port 70000 is not a TCP port", result.Error, StringComparison.Ordinal);
    }

    private Task<EmulatorProcess> StartOnAsync(int port, params string[] args) => EmulatorProcess.StartAsync(_folder, port, args);

    private async Task<CliResult> RunToEndAsync(params string[] args)
    {
        await using var emulator = EmulatorProcess.Launch(_folder, OrdersApi.Tests.Infrastructure.FreePort.Next(), args);
        var code = await emulator.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return new CliResult(code, emulator.Output, emulator.Error);
    }

    private static async Task<string> TokenAsync(string issuer)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, issuer + "/oauth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = "local-worker",
                ["client_secret"] = WorkerSecret,
                ["audience"] = "https://api.example.com",
            }),
        };
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }
}
