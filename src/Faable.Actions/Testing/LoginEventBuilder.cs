using System.Text.Json.Nodes;
using Faable.Actions.Events;

namespace Faable.Actions.Testing;

/// <summary>
/// Builds the <c>event</c> of a login for tests, fluently:
/// <c>LoginEventBuilder.For("user_1").ViaConnection("github").WithoutEmail().Build()</c>.
/// Every builder method returns a new builder, so a shared base can be specialized per test.
/// </summary>
public sealed class LoginEventBuilder
{
    private readonly LoginEvent _event;

    private LoginEventBuilder(LoginEvent loginEvent)
    {
        _event = loginEvent;
    }

    /// <summary>Starts a login of a user with this id and no other data (no email, database connection, development client).</summary>
    /// <param name="userId">The user id, e.g. <c>user_1</c>.</param>
    /// <returns>The builder.</returns>
    public static LoginEventBuilder For(string userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        return For(new LoginUser { UserId = userId });
    }

    /// <summary>Starts a login of this user.</summary>
    /// <param name="user">The user.</param>
    /// <returns>The builder.</returns>
    public static LoginEventBuilder For(LoginUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new LoginEventBuilder(new LoginEvent { User = user });
    }

    /// <summary>Sets <c>event.user.email</c> and <c>email_verified</c>.</summary>
    /// <param name="email">The address.</param>
    /// <param name="verified">Whether it is verified.</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder WithEmail(string email, bool verified = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        return WithUser(u => u with { Email = email, EmailVerified = verified });
    }

    /// <summary>Removes <c>event.user.email</c>, as a GitHub login with a private email gives.</summary>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder WithoutEmail() => WithUser(u => u with { Email = null, EmailVerified = false });

    /// <summary>
    /// Sets <c>event.user.email_verified</c> alone, e.g. a user with no email whose connection still reports
    /// <c>email_verified: true</c> (the case a gate on <c>email_verified</c> alone lets through).
    /// </summary>
    /// <param name="verified">The value.</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder WithEmailVerified(bool verified) => WithUser(u => u with { EmailVerified = verified });

    /// <summary>Replaces the whole <c>event.user.app_metadata</c>.</summary>
    /// <param name="appMetadata">The object (copied); <see langword="null"/> gives an empty object in the script.</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder WithAppMetadata(JsonObject? appMetadata) => WithUser(u => u with { AppMetadata = appMetadata?.DeepClone().AsObject() });

    /// <summary>Replaces the whole <c>event.user.user_metadata</c>.</summary>
    /// <param name="userMetadata">The object (copied); <see langword="null"/> gives an empty object in the script.</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder WithUserMetadata(JsonObject? userMetadata) => WithUser(u => u with { UserMetadata = userMetadata?.DeepClone().AsObject() });

    /// <summary>Sets <c>event.user.name</c>.</summary>
    /// <param name="name">The name.</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder WithName(string name) => WithUser(u => u with { Name = name });

    /// <summary>Sets one key of <c>event.user.app_metadata</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value (a string, number, bool or JSON node converts implicitly).</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder WithAppMetadata(string key, JsonNode? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return WithUser(u => u with { AppMetadata = With(u.AppMetadata, key, value) });
    }

    /// <summary>Sets one key of <c>event.user.user_metadata</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder WithUserMetadata(string key, JsonNode? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return WithUser(u => u with { UserMetadata = With(u.UserMetadata, key, value) });
    }

    /// <summary>Sets <c>event.user.created_at</c>, the base of <c>event.stats.account_age_ms</c>.</summary>
    /// <param name="createdAt">When the account was created.</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder CreatedAt(DateTimeOffset createdAt) => WithUser(u => u with { CreatedAt = createdAt });

    /// <summary>Changes anything else of <c>event.user</c>.</summary>
    /// <param name="change">Returns the changed user, e.g. <c>u =&gt; u with { Nickname = "ada" }</c>.</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder WithUser(Func<LoginUser, LoginUser> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(_event with { User = change(_event.User) });
    }

    /// <summary>Marks this login as the one that created the account: <c>event.stats.is_new_user</c> is true on post-login and the outcome reports signup.</summary>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder AsSignup() => AsSignup(true);

    /// <summary>Sets whether this login created the account (<c>event.stats.is_new_user</c> on post-login, and signup in the outcome).</summary>
    /// <param name="isNewUser">Whether the login created the account.</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder AsSignup(bool isNewUser) => new(_event with { Stats = _event.Stats with { IsNewUser = isNewUser } });

    /// <summary>Sets <c>event.connection</c>.</summary>
    /// <param name="name">The connection name, e.g. <c>github</c>.</param>
    /// <param name="strategy">The strategy; defaults to <paramref name="name"/>.</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder ViaConnection(string name, string? strategy = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new(_event with { Connection = new LoginConnection(name, strategy ?? name) });
    }

    /// <summary>Sets <c>event.client</c>.</summary>
    /// <param name="clientId">The client id.</param>
    /// <param name="name">The client name; defaults to <paramref name="clientId"/>.</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder ForClient(string clientId, string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        return new(_event with { Client = new LoginClient(clientId, name ?? clientId) });
    }

    /// <summary>Changes <c>event.request</c>.</summary>
    /// <param name="change">Returns the changed request, e.g. <c>r =&gt; r with { Ip = "203.0.113.9", Device = "mobile" }</c>.</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder WithRequest(Func<LoginRequest, LoginRequest> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new(_event with { Request = change(_event.Request) });
    }

    /// <summary>Sets <c>event.request.ip</c>.</summary>
    /// <param name="ip">The address.</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder FromIp(string ip) => WithRequest(r => r with { Ip = ip });

    /// <summary>Sets <c>event.request.language</c> (the raw <c>Accept-Language</c>).</summary>
    /// <param name="acceptLanguage">The header value.</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder WithLanguage(string acceptLanguage) => WithRequest(r => r with { Language = acceptLanguage });

    /// <summary>Sets <c>event.request.device</c>.</summary>
    /// <param name="device"><c>mobile</c>, <c>desktop</c>, <c>bot</c> or <c>unknown</c>.</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder WithDevice(string device)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(device);
        return WithRequest(r => r with { Device = device });
    }

    /// <summary>Sets <c>event.request.ip_datacenter</c> (given to actions whose source names it).</summary>
    /// <param name="fromDatacenter">Whether the IP belongs to a datacenter; <see langword="null"/> leaves it undefined.</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder WithIpDatacenter(bool? fromDatacenter) => WithRequest(r => r with { IpDatacenter = fromDatacenter });

    /// <summary>Sets <c>event.request.ip_active_blocks</c> (given to actions whose source names it).</summary>
    /// <param name="count">Active blocks of this IP; <see langword="null"/> leaves it undefined.</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder WithIpActiveBlocks(int? count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count ?? 0, nameof(count));
        return WithRequest(r => r with { IpActiveBlocks = count });
    }

    /// <summary>Sets <c>event.request.ip_network_active_blocks</c> (given to actions whose source names it).</summary>
    /// <param name="count">Active blocks of this IP's network; <see langword="null"/> leaves it undefined.</param>
    /// <returns>A new builder.</returns>
    public LoginEventBuilder WithIpNetworkActiveBlocks(int? count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count ?? 0, nameof(count));
        return WithRequest(r => r with { IpNetworkActiveBlocks = count });
    }

    /// <summary>The event.</summary>
    /// <returns>The built event.</returns>
    public LoginEvent Build() => _event;

    /// <summary>The event's user, e.g. to pass to <c>ContinueAsync</c> after changing it.</summary>
    /// <returns>The user.</returns>
    public LoginUser BuildUser() => _event.User;

    private static JsonObject With(JsonObject? source, string key, JsonNode? value)
    {
        var copy = source?.DeepClone().AsObject() ?? [];
        copy[key] = value?.DeepClone();
        return copy;
    }
}
