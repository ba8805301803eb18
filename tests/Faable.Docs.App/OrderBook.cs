namespace Orders;

/// <summary>The orders of a caller, as the examples list them.</summary>
/// <param name="Id">The order id.</param>
/// <param name="Owner">The subject that placed it.</param>
public sealed record Order(string Id, string Owner);

/// <summary>A fixed set of orders per subject, enough for the README examples to show whose orders are answered.</summary>
public static class OrderBook
{
    /// <summary>The orders of <paramref name="subject"/> (one per subject, named after it).</summary>
    /// <param name="subject">The caller's <c>sub</c>.</param>
    /// <returns>The caller's orders; none for an anonymous caller.</returns>
    public static IReadOnlyList<Order> For(string? subject) =>
        subject is null ? [] : [new Order("ord_" + subject, subject)];
}
