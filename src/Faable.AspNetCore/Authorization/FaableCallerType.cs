namespace Faable.AspNetCore.Authorization;

/// <summary>Who holds the token.</summary>
public enum FaableCallerType
{
    /// <summary>A person who signed in: <c>sub</c> is a user id, not the <c>client_id</c>.</summary>
    User = 0,

    /// <summary>A machine-to-machine client (client credentials grant): <c>sub</c> equals <c>client_id</c>.</summary>
    Machine = 1,
}
