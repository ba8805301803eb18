namespace OrdersApi.Orders;

/// <summary>One line of <see cref="PlaceOrderRequest"/>.</summary>
public sealed class PlaceOrderLine
{
    /// <summary>The product code, e.g. <c>KB-104</c>.</summary>
    public string? Sku { get; set; }

    /// <summary>How many.</summary>
    public int? Quantity { get; set; }

    /// <summary>The price of one unit.</summary>
    public decimal? UnitPrice { get; set; }
}
