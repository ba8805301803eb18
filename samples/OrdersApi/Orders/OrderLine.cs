namespace OrdersApi.Orders;

/// <summary>One line of an order: a product, how many, and the unit price.</summary>
public sealed record OrderLine(string Sku, int Quantity, decimal UnitPrice);
