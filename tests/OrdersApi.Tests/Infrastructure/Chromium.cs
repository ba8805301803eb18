using Microsoft.Playwright;

namespace OrdersApi.Tests.Infrastructure;

/// <summary>Debian's Chromium driven by Playwright; no browser is ever downloaded.</summary>
internal static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Starts headless Chromium, or fails the test saying how to install it.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Fail($"{ExecutablePath} is missing: the browser tests need Debian's Chromium. Install it with `apt-get install -y chromium` (CI's .ci/run does).");
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Timeout = 60_000,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
