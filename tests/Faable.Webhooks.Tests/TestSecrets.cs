namespace Faable.Webhooks.Tests;

internal static class TestSecrets
{
    public const string Current = "whsec_6fK2pL9qR3sT7vW1xY5zA8bC4dE0gH2j";
    public const string Previous = "whsec_rotated_9Zy8Xw7Vu6Ts5Rq4Po3N";
    public const string Other = "whsec_not_the_subscription_secret_00";
}
