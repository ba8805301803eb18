using System.Text.Json;
using Faable.Webhooks.Internal;

namespace Faable.Webhooks.Tests;

/// <summary>Project Wycheproof HMAC-SHA256 vectors (full 256-bit tags) through the verifier's HMAC and comparison path.</summary>
public sealed class WebhookHmacKeyTests
{
    public static TheoryData<int> FullTagVectorIds()
    {
        var data = new TheoryData<int>();
        foreach (var test in FullTagTests())
        {
            data.Add(test.GetProperty("tcId").GetInt32());
        }

        return data;
    }

    [Fact]
    public void Wycheproof_FullTagGroups_ArePresent()
    {
        Assert.True(FullTagTests().Count() >= 80);
        Assert.Contains(FullTagTests(), t => t.GetProperty("result").GetString() == "invalid");
    }

    [Theory]
    [MemberData(nameof(FullTagVectorIds))]
    public void Matches_WycheproofVector_AgreesWithExpectedResult(int tcId)
    {
        var test = FullTagTests().Single(t => t.GetProperty("tcId").GetInt32() == tcId);
        var key = Convert.FromHexString(test.GetProperty("key").GetString()!);
        var message = Convert.FromHexString(test.GetProperty("msg").GetString()!);
        var tag = Convert.FromHexString(test.GetProperty("tag").GetString()!);
        var expected = test.GetProperty("result").GetString() == "valid";
        var hmac = new WebhookHmacKey(key);

        // The message is fed in three segments, split at varying points, as the verifier feeds timestamp, '.', body.
        var first = Math.Min(message.Length, tcId % 7);
        var second = Math.Min(message.Length - first, tcId % 3);
        var matches = hmac.Matches(message.AsSpan(0, first), message.AsSpan(first, second), message.AsSpan(first + second), tag);

        Assert.Equal(expected, matches);
        Assert.Equal(expected, hmac.Matches(message, [], [], tag));
    }

    private static IEnumerable<JsonElement> FullTagTests()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Faable.Tests.Shared.RepositoryPaths.WycheproofVector("hmac_sha256_test.json")));
        return document.RootElement.GetProperty("testGroups").EnumerateArray()
            .Where(g => g.GetProperty("tagSize").GetInt32() == 256)
            .SelectMany(g => g.GetProperty("tests").EnumerateArray())
            .Select(t => t.Clone())
            .ToList();
    }
}
