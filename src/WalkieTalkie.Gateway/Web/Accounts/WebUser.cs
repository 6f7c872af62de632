namespace WalkieTalkie.Gateway.Web.Accounts;

/// <summary>
/// A gateway-local web account. Its name is also the id of its device in the registry (a web device, like a badge), so
/// it is joined to channels and permitted with the badge commands (<c>walkie channel join</c>, <c>walkie permit grant</c>).
/// </summary>
public sealed record WebUser(string Name, string PasswordHash, string Role);
