namespace OrdersApi.Orders;

/// <summary>A customer order.</summary>
public sealed record Order(
    string Id,
    string Customer,
    IReadOnlyList<OrderLine> Lines,
    decimal Total,
    string Status,
    DateTimeOffset CreatedAt,
    string CreatedBy);
