/* Header search autocomplete (owned by the search work). */
