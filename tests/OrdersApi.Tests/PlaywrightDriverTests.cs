using OrdersApi.Tests.Infrastructure;

namespace OrdersApi.Tests;

/// <summary>The browser tooling itself: Playwright's bundled driver and Debian's Chromium, nothing downloaded.</summary>
public sealed class PlaywrightDriverTests
{
    [Fact]
    public async Task Chromium_Launched_ReportsAVersionAndRendersAPage()
    {
        var (playwright, browser) = await Chromium.LaunchAsync();
        try
        {
            Assert.Matches(@"^\d+\.", browser.Version);
            var page = await browser.NewPageAsync();
            await page.SetContentAsync("<p id=\"x\">rendered</p>");
            Assert.Equal("rendered", await page.InnerTextAsync("#x"));
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }
}
