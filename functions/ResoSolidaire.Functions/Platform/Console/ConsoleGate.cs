using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Components;

namespace ResoSolidaire.Functions.Platform.Console;

/// <summary>The door of every console page: the signed-in person, or where to send them instead.</summary>
public sealed class ConsoleGate
{
    private ConsoleGate(StaffMember? member, ConsoleResult? refusal)
    {
        Member = member;
        Refusal = refusal;
    }

    public StaffMember? Member { get; }

    /// <summary>Not signed in: to the sign-in page and back here. Signed in without the role: a French page (403).</summary>
    public ConsoleResult? Refusal { get; }

    [MemberNotNullWhen(true, nameof(Member))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool IsOpen => Member is not null;

    public static ConsoleGate Enter(HttpRequest request, StaffRole role)
    {
        ArgumentNullException.ThrowIfNull(request);
        var member = StaffPrincipal.Read(request);
        if (member is null)
        {
            var here = request.PathBase + request.Path + request.QueryString;
            return new ConsoleGate(null, TypedResults.Redirect(ConsolePaths.SignIn(here.ToString())));
        }

        if (!member.Holds(role))
        {
            return new ConsoleGate(null, Page<ConsoleRefusedPage>(
                new
                {
                    Member = member,
                    Title = "Cette page n'est pas ouverte à votre compte",
                    Detail = $"Elle demande le rôle « {StaffMember.Label(role)} ». Demandez-le à une personne de l'administration de l'association.",
                },
                StatusCodes.Status403Forbidden));
        }

        return new ConsoleGate(member, null);
    }

    /// <summary>A page component with its parameters, as HTML.</summary>
    public static RazorComponentResult Page<TComponent>(object parameters, int status = StatusCodes.Status200OK)
        where TComponent : IComponent =>
        new RazorComponentResult<TComponent>(parameters) { StatusCode = status, ContentType = "text/html; charset=utf-8" };
}
