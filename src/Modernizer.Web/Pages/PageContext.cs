using System.Security.Claims;
using Modernizer.Web.Security;

namespace Modernizer.Web.Pages;

/// <summary>What every page needs besides its model: the signed-in user, the antiforgery token for
/// its forms, where it is, and the outcome of the form just posted (a fixed code, never free text).</summary>
public sealed record PageContext(ClaimsPrincipal User, string CsrfField, string CsrfToken, string PathAndQuery, string? Flash, string? FlashSubject, string Workspace)
{
    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    public string UserName => User.Name();

    public string Role => User.Role();

    public bool CanApprove => User.CanApprove();

    public bool IsAdmin => User.IsAdmin();

    /// <summary>The message of a flash code, or null for an unknown code.</summary>
    public string? FlashMessage => Flash switch
    {
        "approved" => $"Approved {FlashSubject}: the job continues on the next run. The decision names you.",
        "rejected" => $"Rejected {FlashSubject}: the job stops with your reason. The decision names you.",
        "closed" => $"{FlashSubject} is already closed.",
        "unknown" => $"No escalation has the id {FlashSubject}.",
        "reason" => "A reason is required: it is recorded in the decision log.",
        "password" => "Your password is changed.",
        "added" => $"Account {FlashSubject} added.",
        "account" => FlashSubject,
        _ => null,
    };

    public bool FlashIsError => Flash is "closed" or "unknown" or "reason" or "account";
}
