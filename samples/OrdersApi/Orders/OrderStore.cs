namespace OrdersApi.Orders;

/// <summary>The orders, kept in memory and seeded with a few examples.</summary>
public sealed class OrderStore
{
    private readonly Lock _gate = new();
    private readonly List<Order> _orders = [];
    private readonly TimeProvider _time;
    private int _nextNumber = 1001;

    /// <summary>Creates the store with three example orders.</summary>
    public OrderStore(TimeProvider time)
    {
        _time = time;
        Seed("Northwind Traders", [new("KB-104", 2, 49.90m), new("MS-220", 2, 19.50m)], "shipped");
        Seed("Contoso Coffee", [new("BEAN-1KG", 6, 17.25m)], "paid");
        Seed("Fabrikam Labs", [new("USB-C-HUB", 1, 39.00m), new("CABLE-2M", 3, 8.40m)], "pending");
    }

    /// <summary>All orders, oldest first.</summary>
    public IReadOnlyList<Order> All()
    {
        lock (_gate)
        {
            return [.. _orders];
        }
    }

    /// <summary>Places a new order and returns it.</summary>
    public Order Place(string customer, IReadOnlyList<OrderLine> lines, string createdBy)
    {
        lock (_gate)
        {
            var order = new Order(NextId(), customer, lines, TotalOf(lines), "pending", _time.GetUtcNow(), createdBy);
            _orders.Add(order);
            return order;
        }
    }

    private void Seed(string customer, OrderLine[] lines, string status) =>
        _orders.Add(new Order(NextId(), customer, lines, TotalOf(lines), status, _time.GetUtcNow(), "seed"));

    private string NextId() => $"ord_{_nextNumber++}";

    private static decimal TotalOf(IReadOnlyList<OrderLine> lines) => lines.Sum(l => l.Quantity * l.UnitPrice);
}
