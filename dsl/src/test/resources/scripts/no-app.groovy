// A script that creates no app.
println 'nothing to deploy'
