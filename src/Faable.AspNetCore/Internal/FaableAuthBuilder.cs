using Microsoft.Extensions.DependencyInjection;

namespace Faable.AspNetCore.Internal;

internal sealed class FaableAuthBuilder(IServiceCollection services) : IFaableAuthBuilder
{
    public IServiceCollection Services { get; } = services;
}
