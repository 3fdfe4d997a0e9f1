"""The generality harness: random consistent reports × layouts × real-world habits.

``generate`` draws reports, ``layouts`` prints them (knowing where every cell stands),
``habits`` applies what real reports do to the layout, ``matrix`` reads them back and
scores recall and wrong numbers.  ``scripts/accuracy.py`` prints the matrix;
``tests/test_variety.py`` runs a smaller one.
"""
