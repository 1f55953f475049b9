namespace ResoSolidaire.Functions.Platform.Staff;

/// <summary>Yes and no as staff write them in French or English spreadsheets.</summary>
public static class YesNo
{
    public static bool? Parse(string? text) => TextKey.Of(text) switch
    {
        "true" or "oui" or "o" or "yes" or "y" or "1" or "x" or "vrai" or "abonne" or "abonnee" or "inscrit" or "inscrite" => true,
        "false" or "non" or "n" or "no" or "0" or "faux" or "desabonne" or "desabonnee" or "desinscrit" or "desinscrite" => false,
        _ => null,
    };
}
